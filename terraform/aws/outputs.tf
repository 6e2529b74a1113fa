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
  description = "JobRunr dashboard; user admin, password in /opt/cct/.env on the VM (CCT_DASHBOARD_PASSWORD)."
  value       = "http://${aws_eip.cct.public_ip}:8001/"
}

output "mail_ui_url" {
  description = "Mailpit: the notification mails the workers send."
  value       = "http://${aws_eip.cct.public_ip}:8025/"
}

output "ssh" {
  description = "SSH command (needs key_name)."
  value       = "ssh ubuntu@${aws_eip.cct.public_ip}"
}
