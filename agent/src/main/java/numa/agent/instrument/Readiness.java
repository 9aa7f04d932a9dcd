package numa.agent.instrument;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;

import numa.agent.log.AgentLog;

/** Waiting for the agent's background start-up (config, JNA, devices), shared by the hooks. */
final class Readiness {
    /** How long the first matched event waits for the agent's background start-up. */
    static final long TIMEOUT_SECONDS = 30;

    private Readiness() {
    }

    /**
     * What binding needs; waits for the background start-up the first times. Null: cannot bind
     * ({@code subject}, e.g. "thread 'gpu-worker-0'", stays unbound).
     */
    static <T> T await(CompletableFuture<T> ready, Logger log, String subject) {
        T r = ready.getNow(null);
        if (r != null || ready.isDone()) {
            return r;
        }
        try {
            return ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            AgentLog.warnOnce(log, "ready-timeout", "the agent's start-up took more than {} s: {} stays unbound",
                    TIMEOUT_SECONDS, subject);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by the start-up itself
        }
        return null;
    }
}
