package com.cct;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh PostgreSQL database on the machine's server for this test JVM ({@code cct_unit_<pid>}), so
 * parallel builds never share one; dropped when the JVM exits. Flyway fills it at context start.
 */
public final class TestDatabase {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static String url;

	private TestDatabase() {
	}

	public static synchronized String url() {
		if (url == null) {
			String name = "cct_unit_" + ProcessHandle.current().pid();
			execute("drop database if exists " + name + " with (force)");
			execute("create database " + name);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("drop database if exists " + name + " with (force)")));
			url = SERVER + name;
		}
		return url;
	}

	private static void execute(String sql) {
		try (Connection db = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
				Statement statement = db.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 (user postgres) is needed: " + ex.getMessage(), ex);
		}
	}

	/** Points a Spring test context at this JVM's database (from a {@code @DynamicPropertySource}). */
	public static void register(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", TestDatabase::url);
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> "");
	}

	/** A fresh account row (unique name and address), for tests that need an owner; returns its id. */
	public static UUID insertUser(JdbcTemplate jdbc) {
		UUID user = UUID.randomUUID();
		jdbc.update("insert into users (id, username, email, password_hash, created_at) values (?, ?, ?, 'x', now())",
				user, "u" + user, user + "@example.test");
		return user;
	}

}
