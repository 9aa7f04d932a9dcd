package numa.testapp;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Where the kernel really put memory: the calling thread allocates off-heap memory (direct
 * ByteBuffers, as engines do for host-side staging), writes every page, so the kernel places each
 * page under the thread's memory policy at that moment, and then asks the kernel which NUMA node
 * holds each page. Two independent ways of asking:
 * <ul>
 * <li>{@code move_pages(2)} with no target nodes, which only reports each page's node (JDK 22+,
 * through FFM, reached by reflection as the engine compiles for Java 17);</li>
 * <li>{@code /proc/self/pagemap} (the page frame number of each page; root only, others read
 * zeros) mapped to a node through the memory blocks each node lists under
 * {@code /sys/devices/system/node/nodeN/memoryM}. Works on every JDK.</li>
 * </ul>
 * A direct buffer's address comes from FFM on JDK 22+, else from {@code sun.nio.ch.DirectBuffer},
 * which testapp.jar's manifest exports to it ({@code Add-Exports}); without either, placement is
 * {@code unknown}. Nothing here throws: what cannot be known is reported as unknown.
 */
public final class PageNodes {
    private static final long CHUNK = 256L << 20;
    private static final Path PAGEMAP = Path.of("/proc/self/pagemap");
    private static final Path NODES = Path.of("/sys/devices/system/node");
    private static final long PAGE = pageSize();
    /** The transparent huge page size (2 MiB on x86-64). */
    private static final long HUGE = hugePageSize();
    private static final MovePages MOVE_PAGES = MovePages.link();

    private PageNodes() {
    }

    /**
     * Pages per node of one measured block of memory, by each way that worked. {@code pages} is
     * the best answer ({@code pagemap} where it worked, else {@code move_pages}); {@code null} maps
     * mean "could not be read this way". Both count the huge-page-aligned interior of each buffer;
     * {@code edges} counts the rest (the partial 2 MiB ranges at both ends, which a neighbouring
     * mapping's huge page fault may have placed), for information.
     */
    public record Placement(long bytes, Map<Integer, Long> moved, Map<Integer, Long> pagemap, Map<Integer, Long> edges) {
        /**
         * Node to page count; key -1 counts pages the kernel did not say (absent, or unknown frame).
         * pagemap first: move_pages(2) answers -ENOENT for a page whose entry automatic NUMA
         * balancing has just made PROT_NONE (seen on Debian's 6.1 kernel: "mm/gup: reintroduce
         * FOLL_NUMA as FOLL_HONOR_NUMA_FAULT" is the upstream fix), while pagemap still shows it.
         */
        public Map<Integer, Long> pages() {
            return pagemap != null ? pagemap : moved;
        }

        public String via() {
            return pagemap != null ? "pagemap" : moved != null ? "move_pages" : "none";
        }

        /** {@code 0:12,1:4084} (node:pages; {@code ?:n} for pages of unknown node), or {@code unknown}. */
        public static String format(Map<Integer, Long> pages) {
            if (pages == null) {
                return "unknown";
            }
            StringJoiner out = new StringJoiner(",");
            pages.forEach((node, n) -> out.add((node < 0 ? "?" : node.toString()) + ":" + n));
            return out.toString();
        }

        /** The node holding the most pages, or -1. */
        public int mainNode() {
            Map<Integer, Long> p = pages();
            if (p == null) {
                return -1;
            }
            return p.entrySet().stream().filter(e -> e.getKey() >= 0).max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElse(-1);
        }
    }

    /**
     * Allocates {@code bytes} off-heap from the calling thread, writes every page, and says where
     * the pages are. The memory stays reachable only until this returns.
     */
    public static Placement touch(long bytes) {
        List<ByteBuffer> chunks = allocateTouched(bytes);
        return where(chunks, bytes);
    }

    /** Allocates {@code bytes} in direct buffers of at most 256 MiB and writes every page of them. */
    public static List<ByteBuffer> allocateTouched(long bytes) {
        List<ByteBuffer> chunks = new ArrayList<>();
        for (long left = bytes; left > 0; left -= CHUNK) {
            ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(left, CHUNK)).order(ByteOrder.nativeOrder());
            for (int i = 0; i < b.capacity(); i += (int) PAGE) {
                b.put(i, (byte) 1); // allocateDirect zeroes the memory already; write anyway, on this thread
            }
            chunks.add(b);
        }
        return chunks;
    }

    /** Where the pages of {@code chunks} (direct buffers) are now. */
    public static Placement where(List<ByteBuffer> chunks, long bytes) {
        Map<Integer, Long> moved = MOVE_PAGES == null ? null : new TreeMap<>();
        Map<Integer, Long> pagemap = new TreeMap<>();
        Map<Integer, Long> edges = new TreeMap<>();
        Map<Long, Integer> blocks = MemoryBlocks.nodeOfBlock();
        for (ByteBuffer chunk : chunks) {
            long address = address(chunk);
            if (address <= 0) {
                return new Placement(bytes, null, null, null);
            }
            long first = (address + PAGE - 1) / PAGE * PAGE; // whole pages inside the buffer only
            long end = (address + chunk.capacity()) / PAGE * PAGE;
            // Only the huge-page-aligned interior is this thread's alone: with transparent huge pages
            // a neighbour's fault in the same 2 MiB range (an adjacent mapping, merged into one VMA)
            // places a whole huge page, the edge of this buffer included, under the neighbour's policy.
            long from = (first + HUGE - 1) / HUGE * HUGE;
            long to = end / HUGE * HUGE;
            if (to <= from) {
                from = first;
                to = end;
            }
            if (moved != null && !MOVE_PAGES.count(from, (to - from) / PAGE, moved)) {
                moved = null;
            }
            if (pagemap != null && !pagemapCount(from, (to - from) / PAGE, blocks, pagemap)) {
                pagemap = null;
            }
            if (edges != null && !(count(first, (from - first) / PAGE, blocks, edges)
                    && count(to, (end - to) / PAGE, blocks, edges))) {
                edges = null;
            }
        }
        return new Placement(bytes, moved, pagemap, edges);
    }

    /** Node counts of [from, from + pages) by the best way there is. */
    private static boolean count(long from, long pages, Map<Long, Integer> blocks, Map<Integer, Long> out) {
        if (pages == 0) {
            return true;
        }
        Map<Integer, Long> byPagemap = new TreeMap<>();
        if (pagemapCount(from, pages, blocks, byPagemap)) {
            byPagemap.forEach((node, n) -> out.merge(node, n, Long::sum));
            return true;
        }
        return MOVE_PAGES != null && MOVE_PAGES.count(from, pages, out);
    }

    /** The address of a direct buffer, or -1 when this JVM will not tell. */
    public static long address(ByteBuffer direct) {
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            Object s = segment.getMethod("ofBuffer", Buffer.class).invoke(null, direct);
            return (long) segment.getMethod("address").invoke(s);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // before JDK 22: below
        }
        try {
            return (long) Class.forName("sun.nio.ch.DirectBuffer").getMethod("address").invoke(direct);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1; // not exported to us (run as java -jar testapp.jar, whose manifest exports it)
        }
    }

    private static boolean pagemapCount(long first, long count, Map<Long, Integer> blocks, Map<Integer, Long> out) {
        if (blocks.isEmpty()) {
            return false;
        }
        long blockSize = MemoryBlocks.blockSize();
        try (FileChannel ch = FileChannel.open(PAGEMAP, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.nativeOrder());
            long done = 0;
            while (done < count) {
                int n = (int) Math.min(8192, count - done);
                buf.clear().limit(n * 8);
                long pos = (first / PAGE + done) * 8;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        return false;
                    }
                }
                for (int i = 0; i < n; i++) {
                    long entry = buf.getLong(i * 8);
                    boolean present = entry < 0; // bit 63
                    long pfn = entry & ((1L << 55) - 1);
                    if (present && pfn == 0) {
                        return false; // frame numbers hidden: not root
                    }
                    Integer node = present ? blocks.get(pfn * PAGE / blockSize) : null;
                    out.merge(node == null ? -1 : node, 1L, Long::sum);
                }
                done += n;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long hugePageSize() {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")).trim());
        } catch (IOException | RuntimeException e) {
            return 2L << 20;
        }
    }

    private static long pageSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (line.startsWith("KernelPageSize:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // below
        }
        return 4096;
    }

    /** Physical memory block number to node, from sysfs. */
    private static final class MemoryBlocks {
        private static Map<Long, Integer> cached;
        private static long blockSize;

        static synchronized Map<Long, Integer> nodeOfBlock() {
            if (cached != null) {
                return cached;
            }
            Map<Long, Integer> map = new HashMap<>();
            try {
                blockSize = Long.parseLong(Files.readString(Path.of("/sys/devices/system/memory/block_size_bytes")).trim(), 16);
                try (DirectoryStream<Path> nodes = Files.newDirectoryStream(NODES, "node[0-9]*")) {
                    for (Path node : nodes) {
                        int id = Integer.parseInt(node.getFileName().toString().substring(4));
                        try (DirectoryStream<Path> blocks = Files.newDirectoryStream(node, "memory[0-9]*")) {
                            for (Path b : blocks) {
                                long block = Long.parseLong(b.getFileName().toString().substring(6));
                                // a block listed by two nodes cannot say which: leave it unknown
                                if (map.putIfAbsent(block, id) != null) {
                                    map.put(block, -1);
                                }
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                map.clear();
            }
            cached = map;
            return map;
        }

        static synchronized long blockSize() {
            nodeOfBlock();
            return blockSize;
        }
    }

    /** {@code move_pages(0, count, pages, NULL, status, 0)}: the node of each page, through FFM. */
    private static final class MovePages {
        private static final int BATCH = 16384;
        private final ForeignSyscall syscall;
        private final Method copyIn;
        private final Method copyOut;

        private MovePages(ForeignSyscall syscall, Method copyIn, Method copyOut) {
            this.syscall = syscall;
            this.copyIn = copyIn;
            this.copyOut = copyOut;
        }

        static MovePages link() {
            // pid, count, pages*, nodes*, status*, flags
            ForeignSyscall call = ForeignSyscall.link(279, 239, ForeignSyscall.Arg.LONG, ForeignSyscall.Arg.LONG,
                    ForeignSyscall.Arg.ADDRESS, ForeignSyscall.Arg.ADDRESS, ForeignSyscall.Arg.ADDRESS,
                    ForeignSyscall.Arg.LONG);
            if (call == null) {
                return null;
            }
            try {
                Class<?> segment = call.segmentClass;
                Class<?> layout = call.valueLayoutClass;
                return new MovePages(call,
                        segment.getMethod("copy", Object.class, int.class, segment, layout, long.class, int.class),
                        segment.getMethod("copy", segment, layout, long.class, Object.class, int.class, int.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }

        /** Adds the node of each page of [first, first + count pages) to {@code out}; false when the call failed. */
        boolean count(long first, long count, Map<Integer, Long> out) {
            try (AutoCloseable arena = syscall.arena()) {
                Object pages = syscall.allocate(arena, (long) BATCH * Long.BYTES, Long.BYTES);
                Object status = syscall.allocate(arena, (long) BATCH * Integer.BYTES, Integer.BYTES);
                long[] addresses = new long[BATCH];
                int[] nodes = new int[BATCH];
                for (long done = 0; done < count; ) {
                    int n = (int) Math.min(BATCH, count - done);
                    for (int i = 0; i < n; i++) {
                        addresses[i] = first + (done + i) * PAGE;
                    }
                    copyIn.invoke(null, addresses, 0, pages, syscall.javaLong, 0L, n);
                    long rc = syscall.call(0L, (long) n, pages, syscall.nullAddress, status, 0L);
                    if (rc != 0) {
                        return false;
                    }
                    copyOut.invoke(null, status, syscall.javaInt, 0L, nodes, 0, n);
                    for (int i = 0; i < n; i++) {
                        out.merge(nodes[i] >= 0 ? nodes[i] : -1, 1L, Long::sum); // -ENOENT: not present
                    }
                    done += n;
                }
                return true;
            } catch (Throwable t) {
                return false;
            }
        }
    }
}
