package numa.testapp;

/** Placeholder, replaced by the demo engine. */
public final class TestApp {
    public static void main(String[] args) {
        System.out.println("testapp");
    }
}
