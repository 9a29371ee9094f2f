package vn.quangninh.cphub.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** What a console login may do in Hawtio and Jolokia, from its roles: the highest one counts. */
public enum ConsoleRole {
    NONE, VIEWER, OPERATOR, ADMIN;

    public static ConsoleRole of(Authentication user) {
        ConsoleRole role = NONE;
        if (user == null || !user.isAuthenticated()) {
            return role;
        }
        for (GrantedAuthority a : user.getAuthorities()) {
            ConsoleRole granted = switch (a.getAuthority()) {
                case "ROLE_admin" -> ADMIN;
                case "ROLE_operator" -> OPERATOR;
                case "ROLE_viewer" -> VIEWER;
                default -> NONE;
            };
            if (granted.compareTo(role) > 0) {
                role = granted;
            }
        }
        return role;
    }

    public boolean atLeast(ConsoleRole other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
