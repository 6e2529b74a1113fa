package com.cct;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The configuration slices of app-core's tests start from (app-core has no application of its own). */
@SpringBootApplication
class CoreTestApplication {
}
