package com.cct;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.cct.support.OnSharedStack;
import com.cct.support.Ports;
import com.cct.support.ServiceProcess;
import com.cct.support.TestStack;

/**
 * Workers that start together, as a managed instance group starts them after a deploy: four at the
 * same instant against a fresh database, three times; every one comes up, and the recurring jobs
 * exist once.
 */
@Tag("serial") // timed under load: runs alone, after the parallel suites (see the pom)
class ConcurrentStartSystemTests extends OnSharedStack {

	@Test
	void fourWorkersStartedAtOnceOnAFreshDatabaseAllComeUp() throws Exception {
		long pid = ProcessHandle.current().pid();
		for (char round = 'a'; round <= 'c'; round++) {
			String database = "cct_startup" + round + "_" + pid;
			String url = TestStack.freshDatabase(database);
			List<ServiceProcess> workers = new ArrayList<>();
			try {
				for (int i = 1; i <= 4; i++) {
					workers.add(stack.startWorker(database + "-worker-" + i, Ports.free(),
							Map.of("SPRING_DATASOURCE_URL", url, "CCT_WORKER_COUNT", "1")));
				}
				for (ServiceProcess worker : workers) {
					worker.awaitHealthy(Duration.ofSeconds(180));
				}
				try (Connection db = DriverManager.getConnection(url, "postgres", "");
						Statement sql = db.createStatement();
						ResultSet rows = sql.executeQuery("select id from jobrunr_recurring_jobs order by id")) {
					List<String> ids = new ArrayList<>();
					while (rows.next()) {
						ids.add(rows.getString(1).strip());
					}
					assertThat(ids).as("round " + round).containsExactly("reconcile-tasks", "task-retention");
				}
				assertThat(workers).allMatch(ServiceProcess::isAlive);
			}
			finally {
				workers.forEach(ServiceProcess::kill);
				TestStack.freshDatabase(database);
			}
		}
	}

}
