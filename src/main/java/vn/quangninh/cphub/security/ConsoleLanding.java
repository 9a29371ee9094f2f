package vn.quangninh.cphub.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * Where a console user lands after signing in, when no page was asked for first: Hawtio for those who may use it
 * (viewer, operator, admin), the printable statistics report for a user who may only read statistics (Hawtio would
 * refuse them with 403). A page asked for before the login is where everyone goes back to.
 */
final class ConsoleLanding extends SavedRequestAwareAuthenticationSuccessHandler {

    static final String HAWTIO = "/actuator/hawtio/";
    static final String STATISTICS = "/console/statistics/report?format=html";

    ConsoleLanding() {
        setDefaultTargetUrl(HAWTIO);
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication user)
            throws ServletException, IOException {
        boolean askedForAPage = new HttpSessionRequestCache().getRequest(request, response) != null;
        boolean statisticsOnly = ConsoleRole.of(user) == ConsoleRole.NONE
                && user.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_statistics"));
        if (!askedForAPage && statisticsOnly) {
            getRedirectStrategy().sendRedirect(request, response, STATISTICS);
            return;
        }
        super.onAuthenticationSuccess(request, response, user);
    }
}
