# Network plumbing the other folders rely on (private service access, Cloud NAT), then
# Cloud SQL for PostgreSQL 16 on a private IP only: no public address, so it is reachable from the
# VPC (web and worker VMs) and from nothing else. JobRunr keeps its queue in the same database.

data "google_compute_network" "vpc" {
  name = var.network
}

resource "google_compute_global_address" "private_services" {
  count         = var.create_private_service_access ? 1 : 0
  name          = "cct-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 16
  network       = data.google_compute_network.vpc.id
}

resource "google_service_networking_connection" "private_services" {
  count                   = var.create_private_service_access ? 1 : 0
  network                 = data.google_compute_network.vpc.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services[0].name]
}

resource "random_id" "suffix" {
  byte_length = 3
}

resource "google_sql_database_instance" "cct" {
  name                = "cct-${random_id.suffix.hex}"
  database_version    = "POSTGRES_16"
  region              = var.region
  deletion_protection = var.deletion_protection

  settings {
    tier              = var.tier
    edition           = "ENTERPRISE"
    availability_type = var.availability_type
    disk_size         = var.disk_size_gb
    disk_autoresize   = true

    ip_configuration {
      ipv4_enabled    = false
      private_network = data.google_compute_network.vpc.id
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }

    database_flags {
      name  = "max_connections"
      value = "200"
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "cct" {
  name     = var.database_name
  instance = google_sql_database_instance.cct.name
}

resource "random_password" "db" {
  length  = 32
  special = false
}

resource "google_sql_user" "cct" {
  name     = var.user_name
  instance = google_sql_database_instance.cct.name
  password = random_password.db.result
}

# Outbound internet for the private VMs of nfs/, web/ and worker/ (apt, Docker images, git).
resource "google_compute_router" "nat" {
  count   = var.create_nat ? 1 : 0
  name    = "cct-router"
  region  = var.region
  network = data.google_compute_network.vpc.id
}

resource "google_compute_router_nat" "nat" {
  count                              = var.create_nat ? 1 : 0
  name                               = "cct-nat"
  router                             = google_compute_router.nat[0].name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}
