# The web tier: a regional managed instance group of VMs running nginx + app (compose.yaml), an
# autoscaler on CPU, and a global HTTP(S) load balancer in front (port 80, 443 with `domain`).
# The VMs have no public address: the load balancer, Google's health checkers and IAP reach them.

locals {
  public_url = var.domain != "" ? "https://${var.domain}" : "http://${google_compute_global_address.web.address}"
  # Google's load balancer / health-check ranges and the IAP TCP-forwarding range.
  google_lb_ranges = ["35.191.0.0/16", "130.211.0.0/22"]
  iap_range        = "35.235.240.0/20"
  gcs              = var.storage_backend == "gcs"
}

resource "random_password" "jwt" {
  length  = 64
  special = false
}

resource "random_password" "dashboard" {
  length  = 24
  special = false
}

resource "google_service_account" "web" {
  account_id   = "cct-web"
  display_name = "Cloud Conversion Tool web VMs"
}

resource "google_project_iam_member" "web" {
  for_each = toset(["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/artifactregistry.reader"])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.web.email}"
}

resource "google_compute_global_address" "web" {
  name = "cct-web"
}

resource "google_compute_instance_template" "web" {
  name_prefix  = "cct-web-"
  machine_type = var.machine_type
  tags         = ["cct-web"]

  disk {
    source_image = "debian-cloud/debian-12"
    disk_size_gb = 30
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
      nfs_server         = local.gcs ? "" : var.nfs_server
      nfs_export         = var.nfs_export
      s3_bucket          = local.gcs ? var.s3_bucket : ""
      repo_url           = var.repo_url
      repo_ref           = var.repo_ref
      app_image          = var.app_image
      jdbc_url           = var.jdbc_url
      db_user            = var.db_user
      dashboard_username = var.dashboard_username
      # names only: the values are read from Secret Manager at boot (secrets.tf)
      project_id = var.project_id
      # nginx believes X-Forwarded-For from Google's front ends and the balancer's own hop
      lb_ip           = google_compute_global_address.web.address
      public_url      = local.public_url
      max_upload_size = var.max_upload_size
      retention       = var.retention
      # fair use
      user_active_tasks     = var.user_active_tasks
      user_storage_quota    = var.user_storage_quota
      user_uploads_per_hour = var.user_uploads_per_hour
      user_streams          = var.user_streams
    })
  }

  service_account {
    email  = google_service_account.web.email
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
  depends_on = [google_secret_manager_secret_version.web, google_secret_manager_secret_iam_member.web]
}

# Autohealing: the app's own health on the management port.
resource "google_compute_health_check" "app" {
  name                = "cct-web-app"
  check_interval_sec  = 15
  timeout_sec         = 5
  healthy_threshold   = 2
  unhealthy_threshold = 4

  http_health_check {
    port         = 9090
    request_path = "/actuator/health"
  }
}

# Load balancing: the page through nginx, so a broken nginx takes the VM out of rotation too.
resource "google_compute_health_check" "nginx" {
  name                = "cct-web-nginx"
  check_interval_sec  = 10
  timeout_sec         = 5
  healthy_threshold   = 2
  unhealthy_threshold = 3

  http_health_check {
    port         = 8000
    request_path = "/"
  }
}

resource "google_compute_region_instance_group_manager" "web" {
  name               = "cct-web"
  region             = var.region
  base_instance_name = "cct-web"

  version {
    instance_template = google_compute_instance_template.web.id
  }

  named_port {
    name = "http"
    port = 8000
  }

  auto_healing_policies {
    health_check = google_compute_health_check.app.id
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

resource "google_compute_region_autoscaler" "web" {
  name   = "cct-web"
  region = var.region
  target = google_compute_region_instance_group_manager.web.id

  autoscaling_policy {
    min_replicas    = var.min_replicas
    max_replicas    = var.max_replicas
    cooldown_period = 300

    cpu_utilization {
      target = var.cpu_target
    }
  }
}

resource "google_compute_backend_service" "web" {
  name                  = "cct-web"
  protocol              = "HTTP"
  port_name             = "http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  # Long: SSE progress streams and 1 GB uploads hold a request open.
  timeout_sec                     = 3600
  connection_draining_timeout_sec = 300
  health_checks                   = [google_compute_health_check.nginx.id]

  backend {
    group           = google_compute_region_instance_group_manager.web.instance_group
    balancing_mode  = "UTILIZATION"
    capacity_scaler = 1.0
  }

  log_config {
    enable = true
  }
}

resource "google_compute_url_map" "web" {
  name            = "cct-web"
  default_service = google_compute_backend_service.web.id
}

resource "google_compute_target_http_proxy" "web" {
  name    = "cct-web"
  url_map = google_compute_url_map.web.id
}

resource "google_compute_global_forwarding_rule" "http" {
  name                  = "cct-web-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.web.id
  port_range            = "80"
  target                = google_compute_target_http_proxy.web.id
}

resource "google_compute_managed_ssl_certificate" "web" {
  count = var.domain != "" ? 1 : 0
  name  = "cct-web"

  managed {
    domains = [var.domain]
  }
}

resource "google_compute_target_https_proxy" "web" {
  count            = var.domain != "" ? 1 : 0
  name             = "cct-web"
  url_map          = google_compute_url_map.web.id
  ssl_certificates = [google_compute_managed_ssl_certificate.web[0].id]
}

resource "google_compute_global_forwarding_rule" "https" {
  count                 = var.domain != "" ? 1 : 0
  name                  = "cct-web-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.web.id
  port_range            = "443"
  target                = google_compute_target_https_proxy.web[0].id
}

resource "google_compute_firewall" "web_from_google" {
  name          = "cct-web-from-lb"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = local.google_lb_ranges
  target_tags   = ["cct-web"]

  allow {
    protocol = "tcp"
    ports    = ["8000", "9090"]
  }
}

# SSH and the JobRunr dashboard only through IAP (gcloud compute start-iap-tunnel), never public.
resource "google_compute_firewall" "web_from_iap" {
  name          = "cct-web-from-iap"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = [local.iap_range]
  target_tags   = ["cct-web"]

  allow {
    protocol = "tcp"
    ports    = ["22", "8001"]
  }
}
