package vn.quangninh.cphub.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hawtio 5's connect plugin asks every page load for {@code preset-connections} (remote Jolokia agents to
 * offer); hawtio-springboot 5.2 serves no such path, so every page ended with a 404 in the browser console.
 * The hub offers none: Hawtio's proxy to other agents is off ({@code hawtio.disableProxy}).
 */
@RestController
public class HawtioPresetConnections {

    @GetMapping(path = "${management.endpoints.web.base-path:/actuator}/hawtio/preset-connections", produces = "application/json")
    public List<Object> none() {
        return List.of();
    }
}
