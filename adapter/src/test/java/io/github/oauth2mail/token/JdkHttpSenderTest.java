package io.github.oauth2mail.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** {@link JdkHttpSender}'s client threads must not pin the class loader of whoever first built it. */
class JdkHttpSenderTest {

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .collect(Collectors.toSet());
    }

    @Test
    void build_fromThreadWithApplicationContextLoader_selectorThreadDoesNotKeepThatLoader() throws Exception {
        Set<Thread> before = new HashSet<>(selectorThreads());
        ClassLoader app = new URLClassLoader(new URL[0], getClass().getClassLoader());
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(app);
        JdkHttpSender sender;
        try {
            sender = new JdkHttpSender(SSLContext.getDefault(), 1000, 1000);
        } finally {
            current.setContextClassLoader(previous);
        }
        assertThat(current.getContextClassLoader()).isSameAs(previous);
        Set<Thread> created = new HashSet<>(selectorThreads());
        created.removeAll(before);
        assertThat(created).as("the sender's selector thread").hasSize(1);
        assertThat(created.iterator().next().getContextClassLoader()).isNotSameAs(app)
                .isSameAs(ClassLoader.getPlatformClassLoader());
        assertThat(sender).isNotNull();
    }
}
