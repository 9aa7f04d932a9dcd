package numa.testapp;

/** Inherits {@link BaseLauncher#launch} as it is. */
public final class PlainLauncher extends BaseLauncher {
}
