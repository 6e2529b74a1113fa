package com.cct.auth;

import java.util.UUID;

/** Who a request comes from, as its verified token says. Controllers take it as a parameter. */
public record AuthenticatedUser(UUID id, String username) {
}
