package vn.quangninh.cphub;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the contracts partners build against: the incident schema and the partner API's OpenAPI document;
 * and the operations API's OpenAPI document to console users.
 */
@Configuration
public class PublicDocuments implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/schema/**").addResourceLocations("classpath:/schema/");
        registry.addResourceHandler("/api/v1/*.yaml").addResourceLocations("classpath:/api/v1/");
        // the operations API's, behind the console login like the API itself
        registry.addResourceHandler("/api/ops/v1/*.yaml").addResourceLocations("classpath:/api/ops/v1/");
    }
}
