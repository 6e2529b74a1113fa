package com.cct.web;

import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The OpenAPI description at /v3/api-docs (Swagger UI at /swagger-ui.html) is generated from the code. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Cloud Conversion Tool API", version = "1",
		description = "Sign up, log in, upload a file, get it back converted or compressed. "
				+ "Errors are RFC 9457 application/problem+json."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
class OpenApiConfiguration {
}
