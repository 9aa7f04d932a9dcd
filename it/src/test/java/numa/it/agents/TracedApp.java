package numa.it.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A small service of the kind both agents are for, for {@link OpenTelemetryAgentTest}: what the
 * OpenTelemetry agent instruments (executors and the context they carry, an HttpURLConnection
 * client, the JDK's HTTP server, a method its {@code methods} instrumentation names) and what
 * numa-agent binds (threads {@code gpu-worker-N}, calls of {@link Inference#run}).
 *
 * <p>Thread {@code gpu-worker-W} runs {@code Inference.run(1 - W)}: the call's device differs from
 * the thread's, so the test tells a call binding from a thread binding. The call hands the
 * HTTP request to an I/O pool and waits: the client span has the call's trace only if OTel's
 * executor instrumentation carried the context across.
 *
 * <p>stdout: {@code result ...} lines, the same with or without agents, and {@code seen ...} lines
 * (CPUs a thread had, from {@code /proc/thread-self/status}). Then it holds, workers alive, until the
 * test releases it ({@link HeldApp#holdUntilReleased}).
 */
public final class TracedApp {
    private TracedApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/infer", new InferenceHandler());
        ExecutorService handlers = pool("http-handler-", 1);
        server.setExecutor(handlers);
        server.start();
        ExecutorService io = pool("io-", 1);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/infer";
        CountDownLatch done = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        String[] results = new String[2];
        List<Thread> workers = new ArrayList<>();
        try {
            for (int w = 0; w < 2; w++) {
                int worker = w;
                Thread t = new Thread(() -> {
                    // the thread's own binding, as numa-agent left it before any call
                    System.out.println("seen thread " + Thread.currentThread().getName() + " cpus=" + HeldApp.cpus());
                    try {
                        results[worker] = new Inference(url, io).run(1 - worker);
                    } catch (Exception e) {
                        results[worker] = "failed " + e;
                    }
                    done.countDown();
                    awaitQuietly(release); // alive while the test looks at /proc/<pid>/task
                }, "gpu-worker-" + w);
                t.setDaemon(true); // a main that fails ends the JVM, not held by a worker
                workers.add(t);
                t.start();
            }
            done.await(30, TimeUnit.SECONDS);
            Arrays.stream(results).sorted().forEach(l -> System.out.println("result " + l));
            HeldApp.holdUntilReleased("traced-app");
        } finally {
            release.countDown();
            for (Thread t : workers) {
                t.join();
            }
            io.shutdown();
            server.stop(0);
            handlers.shutdown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fixed pool whose threads are named {@code prefix + index}. */
    static ExecutorService pool(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), r -> new Thread(r, prefix + n.getAndIncrement()));
        executor.prestartAllCoreThreads();
        return executor;
    }

    /** The call a numa-agent method rule binds to device {@code arg0} and OTel's methods instrumentation traces. */
    public static final class Inference {
        private final String url;
        private final ExecutorService io;

        Inference(String url, ExecutorService io) {
            this.url = url;
            this.io = io;
        }

        public String run(int device) throws Exception {
            System.out.println("seen call device=" + device + " on " + Thread.currentThread().getName() + " cpus=" + HeldApp.cpus());
            return io.submit(() -> fetch(device)).get(30, TimeUnit.SECONDS);
        }

        private String fetch(int device) throws IOException {
            HttpURLConnection c = (HttpURLConnection) new URL(url + "?device=" + device).openConnection();
            try (InputStream in = c.getInputStream()) {
                return "device=" + device + " status=" + c.getResponseCode() + " body="
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        }
    }

    /** Answers {@code /infer?device=N} with {@code ran N}. */
    static final class InferenceHandler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            String query = exchange.getRequestURI().getQuery();
            byte[] body = ("ran " + query.substring(query.indexOf('=') + 1)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
