package numa.agent.instrument;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import numa.agent.config.MethodPattern;
import numa.agent.config.Rule;
import numa.agent.observe.RuleActivity;

/**
 * The methods the agent has instrumented, each with its rule: the number inlined into the method
 * ({@code NumaAgentBridge.methodEnter(value, site)}) is an index here. A method instrumented again
 * (retransformation, or the same class in another class loader) keeps its number.
 */
final class MethodSites {
    /**
     * One instrumented method.
     *
     * @param owner      the declaring class, binary name ({@code com.acme.Server})
     * @param argCount   how many parameters it has
     * @param isStatic   whether it has no {@code this}
     */
    record Site(int id, Rule rule, String owner, String method, String descriptor, int argCount, boolean isStatic,
                boolean children) {
        Site(int id, Rule rule, String owner, String method, String descriptor, int argCount, boolean isStatic) {
            this(id, rule, owner, method, descriptor, argCount, isStatic, rule.bind() == Rule.BindMode.CHILDREN);
        }

        /** {@code com.acme.Server.create(Device, int)}: what log lines and warnings name. */
        String describe() {
            StringBuilder sb = new StringBuilder(owner).append('.').append(method).append('(');
            List<String> params = MethodPattern.parameterTypeNames(descriptor);
            for (int i = 0; i < params.size(); i++) {
                String p = params.get(i);
                sb.append(i == 0 ? "" : ", ").append(p.substring(Math.max(p.lastIndexOf('.'), p.lastIndexOf('$')) + 1));
            }
            return sb.append(')').toString();
        }
    }

    private final Map<String, Site> byKey = new HashMap<>();
    private volatile Site[] sites = new Site[0];

    /** The site of {@code method} in {@code owner} under {@code rule}, created on first use. */
    synchronized Site register(Rule rule, String owner, String method, String descriptor, boolean isStatic) {
        String key = rule.name() + '\0' + owner + '\0' + method + descriptor;
        Site site = byKey.get(key);
        if (site == null) {
            Site[] all = sites;
            site = new Site(all.length, rule, owner, method, descriptor, MethodPattern.parameterTypeNames(descriptor).size(),
                    isStatic);
            Site[] grown = Arrays.copyOf(all, all.length + 1);
            grown[site.id()] = site;
            sites = grown;
            byKey.put(key, site);
            RuleActivity.instrumented(rule.name(), site.describe());
        }
        return site;
    }

    /** The site of that number, or null. */
    Site get(int id) {
        Site[] all = sites;
        return id >= 0 && id < all.length ? all[id] : null;
    }

    int size() {
        return sites.length;
    }
}
