/** What every feature leans on: the clock, named daemon threads, bounded texts. */
package com.cct.system;
