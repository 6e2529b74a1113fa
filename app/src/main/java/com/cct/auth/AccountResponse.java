package com.cct.auth;

import java.util.UUID;

record AccountResponse(UUID id, String username, String email) {
}
