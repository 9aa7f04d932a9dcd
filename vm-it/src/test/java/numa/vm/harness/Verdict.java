package numa.vm.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The checker: compares what threads in the guest saw with what the SPEC promises, derived from
 * the guest's own facts, and collects every mismatch instead of stopping at the first. A test
 * states its expectations, then {@link #assertNoProblems()}; the harness's own test feeds it wrong
 * expectations and requires {@link #problems()} to catch them.
 */
public final class Verdict {
    private final StepResult step;
    private final GuestFacts facts;
    private final List<String> problems = new ArrayList<>();

    private Verdict(StepResult step, GuestFacts facts) {
        this.step = step;
        this.facts = facts;
    }

    public static Verdict of(StepResult step, GuestFacts facts) {
        return new Verdict(step, facts);
    }

    /** What a process of this step may use: its cpuset's CPUs, else every CPU of the guest. */
    public String allowedCpus() {
        return step.cpusetCpus() != null ? step.cpusetCpus() : facts.allCpus();
    }

    /** Node {@code node}'s CPUs that this step may use: what {@code cpus: node} must give. */
    public String usableCpusOf(int node) {
        return CpuList.intersect(facts.cpusOf(node), allowedCpus());
    }

    /** The thread's CPUs at its first line are exactly node {@code node}'s usable ones. */
    public Verdict cpusOfNode(String thread, int node) {
        return cpus(thread, usableCpusOf(node), "node " + node + "'s CPUs");
    }

    public Verdict cpusOfNode(Row r, int node) {
        return cpus(r, usableCpusOf(node), "node " + node + "'s CPUs");
    }

    /** The thread's CPUs at its first line are exactly {@code expected} (list form). */
    public Verdict cpus(String thread, String expected, String what) {
        Row r = row(thread);
        return r == null ? this : cpus(r, expected, what);
    }

    public Verdict cpus(Row r, String expected, String what) {
        if (!CpuList.parse(r.cpus()).equals(CpuList.parse(expected))) {
            problems.add(r.name() + ": cpus " + r.cpus() + ", expected " + expected + " (" + what + ")");
        }
        return this;
    }

    /** Every page the thread touched after start is on {@code node}, by the kernel's own answer. */
    public Verdict pagesOn(String thread, int node) {
        Row r = row(thread);
        return r == null ? this : pagesOn(r, node);
    }

    public Verdict pagesOn(Row r, int node) {
        String thread = r.name() + (r.kind().equals("main") ? " (" + r.phase() + ")" : "");
        if (r.pages() == null) {
            problems.add(thread + ": no placement measured (run the engine with --touch-mb; pagesVia " + r.pagesVia() + ")");
            return this;
        }
        long total = r.pagesTotal();
        long on = r.pagesOn(node);
        if (total == 0 || on != total) {
            problems.add(thread + ": " + on + " of " + total + " touched pages on node " + node + " (pages by node "
                    + r.pages() + ", via " + r.pagesVia() + "; buffer edges " + r.edgePages() + ")");
        }
        // Two independent readings: where move_pages(2) names a node, pagemap must count at least as
        // many pages there (move_pages may say -ENOENT, counted as -1, for pages NUMA balancing made PROT_NONE)
        if (r.pagemap() != null && r.movePages() != null) {
            for (Map.Entry<Integer, Long> e : r.movePages().entrySet()) {
                if (e.getKey() >= 0 && e.getValue() > r.pagemap().getOrDefault(e.getKey(), 0L)) {
                    problems.add(thread + ": move_pages says " + r.movePages() + " but pagemap says " + r.pagemap());
                    break;
                }
            }
        }
        return this;
    }

    /** CPUs and memory both on {@code node}: what a thread bound to it with a memory policy shows. */
    public Verdict boundTo(String thread, int node) {
        return cpusOfNode(thread, node).pagesOn(thread, node);
    }

    /**
     * The thread's memory policy as get_mempolicy(2) told the engine: {@code expected} on JDK 22+
     * (FFM), {@code unknown} before (the engine cannot ask there).
     */
    public Verdict policy(String thread, String expected) {
        Row r = row(thread);
        return r == null ? this : policy(r, expected);
    }

    public Verdict policy(Row r, String expected) {
        String want = step.step().jdk() != null && step.step().jdk().canReportMemPolicy() ? expected : "unknown";
        if (!want.equals(r.policy())) {
            problems.add(r.name() + ": memory policy " + r.policy() + ", expected " + want);
        }
        return this;
    }

    /** Not bound: the process's CPUs and the default policy (what children: reset promises). */
    public Verdict unbound(String thread) {
        return cpus(thread, allowedCpus(), "the process's CPUs: not bound").policy(thread, "default");
    }

    /** The agent said this (a fragment of one of its stderr lines). */
    public Verdict logged(String fragment) {
        if (step.agentLines().stream().noneMatch(l -> l.contains(fragment))) {
            problems.add("no agent line contains '" + fragment + "'");
        }
        return this;
    }

    /** The agent warned, in a line containing every fragment. */
    public Verdict warned(String... fragments) {
        if (step.agentWarnings().stream().noneMatch(l -> List.of(fragments).stream().allMatch(l::contains))) {
            problems.add("no agent warning contains all of " + List.of(fragments));
        }
        return this;
    }

    /** The step ended with status 0. */
    public Verdict exitedCleanly() {
        if (step.rc() != 0) {
            problems.add("exit status " + step.rc());
        }
        return this;
    }

    /** Adds a problem found by the caller's own comparison. */
    public Verdict problemIf(boolean bad, String problem) {
        if (bad) {
            problems.add(problem);
        }
        return this;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Fails with every problem, the expectations' source (the guest's facts) and the step's whole story. */
    public void assertNoProblems() {
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s) in step " + step.name() + ":\n  - "
                    + String.join("\n  - ", problems) + "\n--- guest facts:\n" + facts + step);
        }
    }

    private Row row(String thread) {
        try {
            return step.row(thread);
        } catch (NoSuchElementException e) {
            problems.add(thread + ": no such thread in the engine's output");
            return null;
        }
    }

    /** Node to page count, for messages. */
    static String describe(Map<Integer, Long> pages) {
        return pages == null ? "unknown" : pages.toString();
    }
}
