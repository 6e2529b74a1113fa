# The worker tier: a regional managed instance group of VMs, each running one worker container via
# process_files.sh + compose.worker.yaml. Devops set its size: an autoscaler between min_workers and
# max_workers driven by the queue (jobs_waiting_per_vm) with CPU as the fallback, or a fixed
# worker_count. Workers need no inbound traffic except Google's health checker (autohealing on the
# management port) and IAP for SSH.
#
# The queue reaches Cloud Monitoring through the Ops Agent on each VM, whose Prometheus receiver
# scrapes the worker's /actuator/prometheus (port 9091) every 30 s and keeps only cct_jobs_*. Each
# VM writes its own series, and the autoscaler adds up the series of a per-group metric: so it reads
# cct_jobs_waiting_per_server (the queue divided by the live job servers), whose sum is the queue.
#
# Scaling in deletes VMs: the shutdown script stops the worker, which lets running conversions
# finish for drain_timeout; one still running then is handed to another worker (idempotent jobs),
# so nothing is lost.

locals {
  google_hc_ranges = ["35.191.0.0/16", "130.211.0.0/22"]
  iap_range        = "35.235.240.0/20"
  gcs              = var.storage_backend == "gcs"
  # What the Ops Agent writes for the worker's gauge (Google Cloud Managed Service for Prometheus naming).
  queue_metric = "prometheus.googleapis.com/cct_jobs_waiting_per_server/gauge"
}

resource "google_service_account" "worker" {
  account_id   = "cct-worker"
  display_name = "Cloud Conversion Tool worker VMs"
}

resource "google_project_iam_member" "worker" {
  for_each = toset(["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/artifactregistry.reader"])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.worker.email}"
}

resource "google_compute_instance_template" "worker" {
  name_prefix  = "cct-worker-"
  machine_type = var.machine_type
  tags         = ["cct-worker"]

  disk {
    source_image = "debian-cloud/debian-12"
    disk_size_gb = 50
    auto_delete  = true
    boot         = true
  }

  network_interface {
    network    = var.network
    subnetwork = var.subnetwork
  }

  metadata = {
    enable-oslogin = "TRUE"
    startup-script = templatefile("${path.module}/startup.sh.tftpl", {
      repo_url         = var.repo_url
      repo_ref         = var.repo_ref
      worker_image     = var.worker_image
      jdbc_url         = var.jdbc_url
      db_user          = var.db_user
      project_id       = var.project_id
      nfs_server       = local.gcs ? "" : var.nfs_server
      nfs_export       = var.nfs_export
      s3_bucket        = local.gcs ? var.s3_bucket : ""
      public_url       = var.public_url
      max_job_duration = var.max_job_duration
      drain_timeout    = var.drain_timeout
      threads_per_vm   = var.threads_per_vm
      running_per_user = var.user_running_tasks
      smtp_host        = var.smtp_host
      smtp_port        = var.smtp_port
      smtp_username    = var.smtp_username
      # names only: the values are read from Secret Manager at boot (secrets.tf)
      smtp_secret = local.with_smtp_password ? "cct-worker-smtp-password" : ""
      mail_from   = var.mail_from
    })
    # Scale-in and replacement: SIGTERM drains the worker (CCT_DRAIN_TIMEOUT, 75 s by default), within
    # the time Compute Engine gives a deleted VM (about 90 s); Docker kills it only after 85 s.
    shutdown-script = "docker ps -q --filter label=com.docker.compose.service=worker | xargs -r docker stop -t 85"
  }

  service_account {
    email  = google_service_account.worker.email
    scopes = ["cloud-platform"]
  }

  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = local.gcs ? var.s3_bucket != "" && !nonsensitive(var.s3_access_key == "" || var.s3_secret_key == "") : var.nfs_server != ""
      error_message = "storage_backend \"gcs\" needs s3_bucket, s3_access_key and s3_secret_key (outputs of bucket/); \"nfs\" needs nfs_server (output of nfs/)."
    }
  }

  # A VM must be able to read its secrets when it boots.
  depends_on = [google_secret_manager_secret_version.worker, google_secret_manager_secret_iam_member.worker]
}

resource "google_compute_health_check" "worker" {
  name                = "cct-worker"
  check_interval_sec  = 15
  timeout_sec         = 5
  healthy_threshold   = 2
  unhealthy_threshold = 4

  http_health_check {
    port         = 9091
    request_path = "/actuator/health"
  }
}

resource "google_compute_region_instance_group_manager" "worker" {
  name               = "cct-worker"
  region             = var.region
  base_instance_name = "cct-worker"
  # With the autoscaler on, it owns the size.
  target_size = var.autoscaling ? null : var.worker_count

  version {
    instance_template = google_compute_instance_template.worker.id
  }

  auto_healing_policies {
    health_check = google_compute_health_check.worker.id
    # First boot installs Docker and may build the image.
    initial_delay_sec = 900
  }

  update_policy {
    type                  = "PROACTIVE"
    minimal_action        = "REPLACE"
    max_surge_fixed       = 3
    max_unavailable_fixed = 0
  }
}

resource "google_compute_region_autoscaler" "worker" {
  count  = var.autoscaling ? 1 : 0
  name   = "cct-worker"
  region = var.region
  target = google_compute_region_instance_group_manager.worker.id

  autoscaling_policy {
    min_replicas = var.min_workers
    max_replicas = var.max_workers
    # A new VM installs Docker and the Ops Agent before its worker reports anything.
    cooldown_period = 300

    # The queue: ceil(sum of the VMs' shares / jobs_waiting_per_vm) VMs. Waiting jobs only, so when
    # the queue is empty this asks for none and the CPU policy below keeps the VMs that are busy.
    dynamic "metric" {
      for_each = var.jobs_waiting_per_vm > 0 ? [local.queue_metric] : []
      content {
        name                       = metric.value
        filter                     = "resource.type = \"prometheus_target\" AND resource.labels.job = \"cct-worker\""
        single_instance_assignment = var.jobs_waiting_per_vm
      }
    }

    # Fallback: VMs converting at full tilt stay, and a queue metric that stops arriving (agent
    # down) still leaves a group that follows the load.
    cpu_utilization {
      target = var.cpu_target
    }

    # Remove at most one worker VM per 10 minutes: fewer conversions cut off by scale-in.
    scale_in_control {
      time_window_sec = 600
      max_scaled_in_replicas {
        fixed = 1
      }
    }
  }
}

resource "google_compute_firewall" "worker_health" {
  name          = "cct-worker-from-health-checks"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = local.google_hc_ranges
  target_tags   = ["cct-worker"]

  allow {
    protocol = "tcp"
    ports    = ["9091"]
  }
}

resource "google_compute_firewall" "worker_iap" {
  name          = "cct-worker-from-iap"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = [local.iap_range]
  target_tags   = ["cct-worker"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
