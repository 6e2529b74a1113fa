/** Downloads of originals and results, by the names a task lists, for their owner only. */
package com.cct.files;
