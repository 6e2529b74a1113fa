output "lb_ip" {
  description = "The load balancer's public address."
  value       = google_compute_global_address.web.address
}

output "url" {
  description = "Log-in endpoint of the API."
  value       = "${local.public_url}/api/auth/login"
}

output "public_url" {
  description = "Input `public_url` of worker/ (CCT_PUBLIC_URL, the base of the links in mails)."
  value       = local.public_url
}

output "instance_group" {
  description = "The web MIG (gcloud compute instance-groups managed list-instances cct-web --region REGION)."
  value       = google_compute_region_instance_group_manager.web.instance_group
}

output "dashboard_username" {
  description = "JobRunr dashboard user."
  value       = var.dashboard_username
}

output "dashboard_password" {
  description = "JobRunr dashboard password (terraform output -raw dashboard_password)."
  value       = random_password.dashboard.result
  sensitive   = true
}
