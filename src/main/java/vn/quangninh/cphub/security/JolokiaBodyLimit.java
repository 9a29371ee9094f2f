package vn.quangninh.cphub.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of a Jolokia request ({@code cphub.security.console.max-jolokia-body}, 8 MB by default;
 * Hawtio's permission batch at login is about 0.7 MB): a larger one is answered 413 with the limit, and
 * logged. It reads nothing and decides nothing else — who may do what is {@link JolokiaRestrictor}'s.
 */
public class JolokiaBodyLimit extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaBodyLimit.class);

    private final long limit;

    public JolokiaBodyLimit(long limit) {
        this.limit = limit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith("/actuator/jolokia") || path.startsWith("/actuator/hawtio/jolokia"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            LOG.warn("Jolokia request of {} bytes from {} refused: the limit is {} bytes (cphub.security.console.max-jolokia-body)",
                    request.getContentLengthLong(), request.getRemoteAddr(), limit);
            response.setStatus(413);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":413,\"error\":\"too_large\",\"message\":\"Jolokia requests are limited to "
                    + limit + " bytes (cphub.security.console.max-jolokia-body)\"}");
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    /** A body sent without a length (chunked) is cut off at the limit: reading past it fails. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = in.read(buffer, off, len);
                    count(Math.max(n, 0));
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limit) {
                        throw new IOException("Jolokia request larger than " + limit + " bytes");
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
