# The shared file folder: a small VM exporting a persistent disk over NFS (v4) to the VPC only.
# Web VMs write uploads there, worker VMs read them and write results, both at CCT_STORAGE_ROOT.
# (Filestore would do too, but its smallest instance is 1 TiB, and a VM lets us set the share's
# owner to the containers' uid.)

resource "google_compute_address" "nfs" {
  name         = "cct-nfs"
  region       = var.region
  address_type = "INTERNAL"
  subnetwork   = var.subnetwork
}

resource "google_compute_disk" "files" {
  name = "cct-files"
  zone = var.zone
  type = var.disk_type
  size = var.disk_size_gb

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_compute_instance" "nfs" {
  name         = "cct-nfs"
  zone         = var.zone
  machine_type = var.machine_type
  tags         = ["cct-nfs"]

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
      size  = 10
    }
  }

  attached_disk {
    source      = google_compute_disk.files.id
    device_name = "cct-files"
  }

  network_interface {
    network    = var.network
    subnetwork = var.subnetwork
    network_ip = google_compute_address.nfs.address
    # No access_config: no public address; apt goes out through the Cloud NAT of database/.
  }

  metadata = {
    enable-oslogin = "TRUE"
  }

  metadata_startup_script = templatefile("${path.module}/startup.sh.tftpl", {
    client_cidr = var.client_cidr
    files_uid   = var.files_uid
  })

  service_account {
    scopes = ["logging-write", "monitoring-write"]
  }

  allow_stopping_for_update = true
}

resource "google_compute_firewall" "nfs" {
  name          = "cct-nfs-from-clients"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = [var.client_cidr]
  target_tags   = ["cct-nfs"]

  allow {
    protocol = "tcp"
    ports    = ["2049"]
  }
}
