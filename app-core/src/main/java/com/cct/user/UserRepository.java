package com.cct.user;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.transaction.annotation.Transactional;

public interface UserRepository extends ListCrudRepository<User, UUID> {

	@Transactional(readOnly = true)
	@Query("select * from users where lower(username) = lower(:username)")
	Optional<User> findByUsernameIgnoreCase(String username);

	@Transactional(readOnly = true)
	@Query("select exists (select 1 from users where lower(username) = lower(:username))")
	boolean existsByUsernameIgnoreCase(String username);

	@Transactional(readOnly = true)
	@Query("select exists (select 1 from users where lower(email) = lower(:email))")
	boolean existsByEmailIgnoreCase(String email);

}
