output "nfs_server" {
  description = "Input `nfs_server` of web/ and worker/ (CCT_NFS_SERVER)."
  value       = google_compute_address.nfs.address
}

output "nfs_export" {
  description = "Input `nfs_export` of web/ and worker/ (CCT_NFS_EXPORT)."
  value       = "/srv/cct"
}
