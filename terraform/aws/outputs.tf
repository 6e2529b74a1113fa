output "public_ip" {
  description = "The VM's Elastic IP."
  value       = aws_eip.cct.public_ip
}

output "url" {
  description = "Log-in endpoint of the API (POST JSON username/password)."
  value       = "http://${aws_eip.cct.public_ip}:8000/api/auth/login"
}

output "web_page" {
  description = "The web page."
  value       = "http://${aws_eip.cct.public_ip}:8000/"
}

output "dashboard_url" {
  description = "JobRunr dashboard through an SSH tunnel (run the tunnel output first); user admin, password in /opt/cct/.env on the VM (CCT_DASHBOARD_PASSWORD)."
  value       = "http://localhost:8001/"
}

output "mail_ui_url" {
  description = "Mailpit (the notification mails the workers send) through the same SSH tunnel."
  value       = "http://localhost:8025/"
}

output "tunnel" {
  description = "SSH tunnel to the dashboard and the mail UI, which listen on the VM's loopback only."
  value       = "ssh -N -L 8001:127.0.0.1:8001 -L 8025:127.0.0.1:8025 ubuntu@${aws_eip.cct.public_ip}"
}

output "ssh" {
  description = "SSH command (needs key_name)."
  value       = "ssh ubuntu@${aws_eip.cct.public_ip}"
}

output "s3_bucket" {
  description = "The files' bucket (storage_backend = \"s3\"; null otherwise)."
  value       = local.s3 ? aws_s3_bucket.files[0].bucket : null
}
