/**
 * Tasks: one upload and its conversion, their status transitions and the store that guards them.
 */
package com.cct.task;
