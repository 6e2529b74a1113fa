package com.cct.support;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * For test classes that run against the suite's one shared stack ({@link TestStack#shared()}): the
 * stack, an API client and a temporary folder for the media a class generates.
 */
public abstract class OnSharedStack {

	protected static TestStack stack;

	protected static Api api;

	@TempDir
	protected static Path files;

	@BeforeAll
	static void startSharedStack() {
		stack = TestStack.shared();
		api = stack.api();
	}

}
