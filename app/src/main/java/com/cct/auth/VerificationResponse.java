package com.cct.auth;

/** The answer to a followed verification link. */
record VerificationResponse(boolean emailVerified, String detail) {
}
