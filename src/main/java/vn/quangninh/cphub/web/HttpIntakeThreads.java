package vn.quangninh.cphub.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The HTTP intake routes (Camel platform-http) run on the thread Tomcat gave the request, and their answer is
 * finished there. Camel's own engine hands every request to Spring's task executor, and Spring MVC then sends the
 * finished request through Tomcat a second time (an async dispatch: every filter, the security chain and the
 * dispatcher servlet again): two thread hand-overs and a second pass per report, for a route that only waits for
 * its durable enqueue (#13, bench/RESULTS.md). How many requests run at once is Tomcat's thread pool
 * ({@code server.tomcat.threads.max}), with the per-address connection cap of {@link HttpConnectionLimits} in
 * front of it.
 */
@Configuration(proxyBeanMethods = false)
public class HttpIntakeThreads {

    /** Replaces Camel's engine (its auto-configuration backs off when this bean is there): the route runs inline. */
    @Bean(name = "platform-http-engine")
    PlatformHttpEngine platformHttpEngine(@Value("${server.port}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }

    /** Puts {@link AnsweredOnRequestThread} before Spring MVC's own handler of futures. */
    @Bean
    static BeanPostProcessor intakeAnsweredOnRequestThread() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    handlers.add(0, new AnsweredOnRequestThread());
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    /**
     * The future a platform-http consumer returns is already complete when the route ran inline: the answer is
     * written, so the request ends here instead of going through Tomcat again. A future not yet complete (an
     * engine with an executor of its own) goes the usual way, as a deferred result.
     */
    static final class AnsweredOnRequestThread implements HandlerMethodReturnValueHandler {

        private final DeferredResultMethodReturnValueHandler deferred = new DeferredResultMethodReturnValueHandler();

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return returnType.getMethod() != null
                    && SpringBootPlatformHttpConsumer.class.isAssignableFrom(returnType.getMethod().getDeclaringClass());
        }

        @Override
        public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                      NativeWebRequest webRequest) throws Exception {
            if (returnValue instanceof CompletableFuture<?> answered && answered.isDone()) {
                answered.join(); // the consumer catches its route's failures; an Error still surfaces as a 500
                mavContainer.setRequestHandled(true);
                return;
            }
            deferred.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
        }
    }
}
