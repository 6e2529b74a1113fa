output "instance_group" {
  description = "The worker MIG (gcloud compute instance-groups managed list-instances cct-worker --region REGION)."
  value       = google_compute_region_instance_group_manager.worker.instance_group
}

output "instance_template" {
  description = "The template new worker VMs are made from."
  value       = google_compute_instance_template.worker.self_link
}

output "autoscaler" {
  description = "The autoscaler's name (null when autoscaling is false)."
  value       = var.autoscaling ? google_compute_region_autoscaler.worker[0].name : null
}
