output "network" {
  description = "VPC name: input `network` of redis/, nfs/, web/ and worker/."
  value       = var.network
}

output "private_ip" {
  description = "The database's private address."
  value       = google_sql_database_instance.cct.private_ip_address
}

output "jdbc_url" {
  description = "Input `jdbc_url` of web/ and worker/ (SPRING_DATASOURCE_URL)."
  value       = "jdbc:postgresql://${google_sql_database_instance.cct.private_ip_address}:5432/${google_sql_database.cct.name}"
}

output "db_user" {
  description = "Input `db_user` of web/ and worker/ (SPRING_DATASOURCE_USERNAME)."
  value       = google_sql_user.cct.name
}

output "db_password" {
  description = "Input `db_password` of web/ and worker/ (SPRING_DATASOURCE_PASSWORD)."
  value       = random_password.db.result
  sensitive   = true
}

output "instance_name" {
  description = "Cloud SQL instance name (gcloud sql ...)."
  value       = google_sql_database_instance.cct.name
}
