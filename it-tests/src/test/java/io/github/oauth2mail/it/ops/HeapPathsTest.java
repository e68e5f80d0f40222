package io.github.oauth2mail.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HeapPaths} names the chain that keeps an object alive, read from a real heap dump of this JVM. */
class HeapPathsTest {

    /** Kept alive by a static field, two steps away from it. */
    static final class Leaked {
    }

    static final class Holder {
        final Object held;

        Holder(Object held) {
            this.held = held;
        }
    }

    static final Holder KEEP = new Holder(new Leaked());

    @Test
    void namesTheStaticFieldAndTheInstanceFieldThatHoldAnObject(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("self.hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
        assertThat(Files.size(dump)).isPositive();

        List<String> paths = HeapPaths.toRoots(dump, Leaked.class.getName());

        assertThat(paths).hasSize(1);
        assertThat(paths.get(0)).contains("class " + HeapPathsTest.class.getName() + ".KEEP")
                .contains(Holder.class.getName() + "#").contains(".held")
                .endsWith(Leaked.class.getName() + "#1");
        System.out.println("path found: " + paths.get(0));
        assertThat(KEEP.held).isNotNull();
    }
}
