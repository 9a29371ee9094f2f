package vn.quangninh.cphub.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.MethodParameter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.async.StandardServletAsyncWebRequest;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.method.support.ModelAndViewContainer;

import vn.quangninh.cphub.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partner's report runs on the thread Tomcat gave its request, and its answer ends the request there: no hand-over
 * to another pool, no second pass through Tomcat (#13).
 */
class HttpIntakeThreadsTest extends HubTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void aReportIsTakenOnItsRequestThreadAndAnswered202() throws Exception {
        List<String> routeThreads = new CopyOnWriteArrayList<>();
        EventNotifierSupport partnerApiDone = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent done
                        && "partner-api".equals(done.getExchange().getFromRouteId())) {
                    routeThreads.add(Thread.currentThread().getName());
                }
            }
        };
        partnerApiDone.start();
        camel.getManagementStrategy().addEventNotifier(partnerApiDone);
        try {
            var response = postIncident(incident(newEventId()));

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(json(response.body()).path("incidentId").asText()).isNotBlank();
            await().atMost(Duration.ofSeconds(10)).until(() -> !routeThreads.isEmpty());
            assertThat(routeThreads).singleElement().satisfies(thread -> assertThat(thread).startsWith("http-nio-"));
        } finally {
            camel.getManagementStrategy().removeEventNotifier(partnerApiDone);
            partnerApiDone.stop();
        }
    }

    @Test
    void aCompletedAnswerEndsTheRequestWithoutAnAsyncDispatch() throws Exception {
        MockHttpServletRequest request = asyncCapableRequest();
        ModelAndViewContainer mav = new ModelAndViewContainer();

        new HttpIntakeThreads.AnsweredOnRequestThread().handleReturnValue(CompletableFuture.completedFuture(null),
                consumerServiceReturnType(), mav, webRequest(request));

        assertThat(mav.isRequestHandled()).isTrue();
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void anAnswerStillUnderWayGoesTheUsualAsyncWay() throws Exception {
        MockHttpServletRequest request = asyncCapableRequest();

        new HttpIntakeThreads.AnsweredOnRequestThread().handleReturnValue(new CompletableFuture<Void>(),
                consumerServiceReturnType(), new ModelAndViewContainer(), webRequest(request));

        assertThat(request.isAsyncStarted()).isTrue();
    }

    @Test
    void onlyThePlatformHttpConsumersAnswersAreTakenOver() throws Exception {
        var handler = new HttpIntakeThreads.AnsweredOnRequestThread();

        assertThat(handler.supportsReturnType(consumerServiceReturnType())).isTrue();
        assertThat(handler.supportsReturnType(new MethodParameter(
                CompletableFuture.class.getMethod("completedFuture", Object.class), -1))).isFalse();
    }

    private static MethodParameter consumerServiceReturnType() throws NoSuchMethodException {
        return new MethodParameter(SpringBootPlatformHttpConsumer.class.getMethod("service",
                jakarta.servlet.http.HttpServletRequest.class, jakarta.servlet.http.HttpServletResponse.class), -1);
    }

    private static MockHttpServletRequest asyncCapableRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/incidents");
        request.setAsyncSupported(true);
        return request;
    }

    private static ServletWebRequest webRequest(MockHttpServletRequest request) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        ServletWebRequest webRequest = new ServletWebRequest(request, response);
        WebAsyncUtils.getAsyncManager(webRequest).setAsyncWebRequest(new StandardServletAsyncWebRequest(request, response));
        return webRequest;
    }
}
