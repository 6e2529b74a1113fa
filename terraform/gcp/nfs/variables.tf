variable "project_id" {
  description = "GCP project id."
  type        = string
}

variable "region" {
  description = "Region (same as database/)."
  type        = string
  default     = "europe-west1"
}

variable "zone" {
  description = "Zone of the file server VM and its disk."
  type        = string
  default     = "europe-west1-b"
}

variable "network" {
  description = "VPC name: output `network` of database/."
  type        = string
}

variable "subnetwork" {
  description = "Subnetwork for the file server (null: the network's subnet in the region, as in auto-mode VPCs)."
  type        = string
  default     = null
}

variable "client_cidr" {
  description = "Addresses allowed to mount the share: the subnet(s) of the web and worker VMs. Never 0.0.0.0/0."
  type        = string
  default     = "10.128.0.0/9"
  validation {
    condition     = can(cidrhost(var.client_cidr, 0)) && !endswith(var.client_cidr, "/0")
    error_message = "client_cidr must be a private CIDR block, not /0."
  }
}

variable "machine_type" {
  description = "File server VM type."
  type        = string
  default     = "e2-medium"
}

variable "disk_size_gb" {
  description = "Size of the data disk holding every upload and result."
  type        = number
  default     = 200
}

variable "disk_type" {
  description = "pd-standard, pd-balanced or pd-ssd."
  type        = string
  default     = "pd-balanced"
}

variable "files_uid" {
  description = "Owner of the share's root: the uid the app and worker containers run as (10001 in the images)."
  type        = number
  default     = 10001
}
