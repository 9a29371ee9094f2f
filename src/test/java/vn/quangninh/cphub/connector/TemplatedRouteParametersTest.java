package vn.quangninh.cphub.connector;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A templated route's parameters are its template's: a misspelt one is named, not taken silently. */
class TemplatedRouteParametersTest {

    private static final Map<String, Set<String>> TEMPLATES = Map.of("http-intake-source",
            Set.of("path", "signIn", "read", "answer", "errors"));

    @Test
    void declaredParametersPass() {
        assertThat(TemplatedRouteParameters.problems("""
                - templatedRoute:
                    routeTemplateRef: http-intake-source
                    routeId: ngo
                    parameters: [{name: path, value: /partners/ngo/reports}, {name: read, value: direct:ngo-message}]
                - route:
                    id: ngo-message
                    from: {uri: "direct:ngo-message", steps: [{log: "x"}]}
                """, TEMPLATES::get)).isEmpty();
    }

    @Test
    void aParameterTheTemplateDoesNotDeclareAndAnUnknownTemplateAreNamed() {
        assertThat(TemplatedRouteParameters.problems("""
                - templatedRoute:
                    routeTemplateRef: http-intake-source
                    routeId: ngo
                    parameters: [{name: path, value: /p}, {name: reed, value: direct:ngo-message}]
                - templatedRoute:
                    routeTemplateRef: json-intake-source
                    routeId: old
                """, TEMPLATES::get)).containsExactly(
                "templated route ngo: parameter 'reed' is not one of route template http-intake-source's [answer, errors, path, read, signIn]",
                "templated route old: no route template 'json-intake-source'");
    }
}
