/** The shared file storage: task folders, generated names, atomic publishing of results. */
package com.cct.storage;
