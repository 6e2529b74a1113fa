/** Web-wide concerns: RFC 9457 problems, the OpenAPI description, start-up checks. */
package com.cct.web;
