/** Formats, kinds and quality levels, and the one conversion matrix both processes consult. */
package com.cct.format;
