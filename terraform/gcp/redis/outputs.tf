output "host" {
  description = "Redis private address."
  value       = google_redis_instance.cct.host
}

output "port" {
  description = "Redis port."
  value       = google_redis_instance.cct.port
}

output "redis_url" {
  description = "Input `redis_url` of web/ and worker/ (CCT_REDIS_URL), with the AUTH string when enabled."
  value = (var.auth_enabled
    ? "redis://:${google_redis_instance.cct.auth_string}@${google_redis_instance.cct.host}:${google_redis_instance.cct.port}"
  : "redis://${google_redis_instance.cct.host}:${google_redis_instance.cct.port}")
  sensitive = true
}
