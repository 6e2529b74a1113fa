package com.cct.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.coyote.InputBuffer;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class UploadGuardTests {

	private final AtomicLong now = new AtomicLong();

	/** Every read brings {@code chunk} bytes and takes {@code pause}. */
	private InputBuffer body(int chunk, Duration pause) {
		return new InputBuffer() {
			@Override
			public int doRead(ApplicationBufferHandler handler) {
				UploadGuardTests.this.now.addAndGet(pause.toNanos());
				return chunk;
			}

			@Override
			public int available() {
				return 0;
			}
		};
	}

	private UploadGuard guard(InputBuffer body) {
		return new UploadGuard(body, new UploadGuardSettings(Duration.ofMinutes(30), DataSize.ofKilobytes(1),
				Duration.ofSeconds(10), 100, Duration.ofHours(1)), this.now::get);
	}

	@Test
	void aBodyFasterThanTheMinimumRateIsReadToTheEnd() throws IOException {
		UploadGuard guard = guard(body(64 * 1024, Duration.ofMillis(100)));

		for (int i = 0; i < 10_000; i++) {
			guard.doRead(ApplicationBufferHandler.EMPTY);
		}

		assertThat(guard.cut()).isNull();
	}

	@Test
	void oneByteEveryFewSecondsIsCutAfterTheFirstWindow() throws IOException {
		UploadGuard guard = guard(body(1, Duration.ofSeconds(3)));
		guard.doRead(ApplicationBufferHandler.EMPTY);
		guard.doRead(ApplicationBufferHandler.EMPTY);
		guard.doRead(ApplicationBufferHandler.EMPTY);
		guard.doRead(ApplicationBufferHandler.EMPTY);

		// 12 s and 4 bytes in: the first 10 s window brought less than 1 KB/s
		assertThatThrownBy(() -> guard.doRead(ApplicationBufferHandler.EMPTY))
			.isInstanceOf(SocketTimeoutException.class);
		assertThat(guard.cut()).isEqualTo(UploadGuard.Cut.TOO_SLOW);
		assertThatThrownBy(() -> guard.doRead(ApplicationBufferHandler.EMPTY))
			.isInstanceOf(SocketTimeoutException.class);
	}

	@Test
	void aFastStartDoesNotBuyASlowFinish() throws IOException {
		AtomicInteger chunk = new AtomicInteger(10 * 1024 * 1024);
		AtomicLong pause = new AtomicLong(Duration.ofMillis(50).toNanos());
		UploadGuard guard = guard(new InputBuffer() {
			@Override
			public int doRead(ApplicationBufferHandler handler) {
				UploadGuardTests.this.now.addAndGet(pause.get());
				return chunk.get();
			}

			@Override
			public int available() {
				return 0;
			}
		});
		for (int i = 0; i < 400; i++) {
			guard.doRead(ApplicationBufferHandler.EMPTY);
		}
		chunk.set(1);
		pause.set(Duration.ofSeconds(4).toNanos());

		// the rate is judged per window, not averaged over the whole upload (4 GB in the first 20 s)
		assertThatThrownBy(() -> {
			for (int i = 0; i < 5; i++) {
				guard.doRead(ApplicationBufferHandler.EMPTY);
			}
		}).isInstanceOf(SocketTimeoutException.class);
		assertThat(guard.cut()).isEqualTo(UploadGuard.Cut.TOO_SLOW);
	}

	@Test
	void aBodyStillArrivingAtTheDeadlineIsCutWhateverItsRate() throws IOException {
		UploadGuard guard = guard(body(1024 * 1024, Duration.ofSeconds(1)));
		for (int i = 0; i <= 30 * 60; i++) {
			guard.doRead(ApplicationBufferHandler.EMPTY);
		}

		assertThatThrownBy(() -> guard.doRead(ApplicationBufferHandler.EMPTY))
			.isInstanceOf(SocketTimeoutException.class);
		assertThat(guard.cut()).isEqualTo(UploadGuard.Cut.TIMEOUT);
	}

	@Test
	void theEndOfTheBodyIsNoted() throws IOException {
		UploadGuard guard = guard(body(-1, Duration.ZERO));

		assertThat(guard.doRead(ApplicationBufferHandler.EMPTY)).isEqualTo(-1);
		assertThat(guard.ended(-1)).isTrue();
	}

}
