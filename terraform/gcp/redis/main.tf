# Memorystore for Redis, reachable only from the VPC (direct peering, private address).
# Plain-text protocol: process_files.sh sends PING over it, and the VPC is private.

data "google_compute_network" "vpc" {
  name = var.network
}

resource "google_redis_instance" "cct" {
  name                    = "cct"
  region                  = var.region
  tier                    = var.tier
  memory_size_gb          = var.memory_size_gb
  redis_version           = "REDIS_7_2"
  authorized_network      = data.google_compute_network.vpc.id
  connect_mode            = "DIRECT_PEERING"
  auth_enabled            = var.auth_enabled
  transit_encryption_mode = "DISABLED"
}
