package vn.quangninh.cphub.web;

import io.hawt.springboot.HawtioPlugin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells Hawtio to load CP Hub's operator console, its "CP Hub" page: a Module Federation remote built from
 * {@code src/main/hawtio-plugin} by the Maven build and served from the jar at {@code /cphub-console/} (behind
 * the console login, like Hawtio). The page reads and acts through the operations API ({@code ops.OperationsApi}).
 */
@Configuration(proxyBeanMethods = false)
public class CpHubConsolePlugin {

    /** Module Federation container name and module, as in src/main/hawtio-plugin/webpack.config.cjs. */
    static final String SCOPE = "cphubConsole";
    static final String MODULE = "./plugin";

    @Bean
    HawtioPlugin cphubConsole() {
        HawtioPlugin plugin = new HawtioPlugin(SCOPE, MODULE);
        plugin.setUrl("/cphub-console");
        return plugin;
    }
}
