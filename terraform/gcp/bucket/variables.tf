variable "project_id" {
  description = "GCP project id."
  type        = string
}

variable "region" {
  description = "Region (same as database/)."
  type        = string
  default     = "europe-west1"
}

variable "location" {
  description = "Bucket location; empty: region (the VMs' region is the cheapest and fastest)."
  type        = string
  default     = ""
}

variable "bucket_name" {
  description = "Globally unique bucket name; empty: PROJECT_ID-cct-files."
  type        = string
  default     = ""
}
