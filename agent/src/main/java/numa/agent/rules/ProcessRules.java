package numa.agent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import numa.agent.config.BoundedMatch;
import numa.agent.config.Rule;
import numa.agent.log.AgentLog;
import org.slf4j.Logger;

/**
 * The {@code process} rules, in file order: the first whose regex matches the whole command line
 * (the arguments joined by single spaces) names the process.
 */
public final class ProcessRules {
    private static final Logger LOG = AgentLog.logger("rules");

    /** A rule that matched, with its match for {@code $N} groups. */
    public record Match(Rule rule, Matcher match) {
    }

    private final Rule[] rules;

    public ProcessRules(List<Rule> all) {
        List<Rule> processRules = new ArrayList<>();
        for (Rule r : all) {
            if (r.process() != null) {
                processRules.add(r);
            }
        }
        rules = processRules.toArray(new Rule[0]);
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** The command line as rules see it. */
    public static String commandLine(String[] command) {
        return String.join(" ", command);
    }

    /** The first rule naming the command line, or null. */
    public Match match(String commandLine) {
        for (Rule r : rules) {
            Matcher m;
            try {
                m = BoundedMatch.whole(r.process(), commandLine);
            } catch (BoundedMatch.TooCostly e) {
                AgentLog.warnOnce(LOG, "regex-cost:process:" + r.name(), "rule {} ({}): its process regex '{}' {} on"
                        + " command line '{}'; such processes are taken as not matching it. Rewrite it so that its"
                        + " parts cannot match the same text in many ways (e.g. [^-]*- rather than .*-)",
                        r.name(), r.position(), r.process().pattern(), e.getMessage(), ThreadRules.abbreviated(commandLine));
                continue;
            }
            if (m != null) {
                return new Match(r, m);
            }
        }
        return null;
    }
}
