variable "project_id" {
  description = "GCP project id."
  type        = string
}

variable "region" {
  description = "Region for every CCT resource (the other folders take the same value)."
  type        = string
  default     = "europe-west1"
}

variable "network" {
  description = "VPC network name the VMs, Redis and the database share."
  type        = string
  default     = "default"
}

variable "create_private_service_access" {
  description = "Reserve a range and peer the VPC with Google's service network (needed once per VPC for a private-IP Cloud SQL); set false when the VPC already has it."
  type        = bool
  default     = true
}

variable "tier" {
  description = "Cloud SQL machine tier."
  type        = string
  default     = "db-custom-2-7680"
}

variable "disk_size_gb" {
  description = "Initial disk size (grows automatically)."
  type        = number
  default     = 20
}

variable "availability_type" {
  description = "ZONAL, or REGIONAL for a standby in another zone."
  type        = string
  default     = "ZONAL"
}

variable "database_name" {
  description = "Database the services use."
  type        = string
  default     = "cct"
}

variable "user_name" {
  description = "Database user the services log in as."
  type        = string
  default     = "cct"
}

variable "deletion_protection" {
  description = "Refuse to destroy the instance (set false before a deliberate terraform destroy)."
  type        = bool
  default     = true
}

variable "create_nat" {
  description = "Create a Cloud Router + Cloud NAT so the VMs (which have no public address) can fetch packages, images and the repo; set false when the VPC already has one."
  type        = bool
  default     = true
}
