# One EC2 VM running the whole compose stack (compose.yaml): nginx on 8000, the JobRunr dashboard on
# 127.0.0.1:8001, Mailpit on 127.0.0.1:8025 (both reached through an SSH tunnel from admin_cidr), app,
# workers, PostgreSQL and Redis. Good for a demo or a small team; for
# scaling workers across machines see terraform/gcp.
#
# Secrets (JWT secret, dashboard and database passwords) are generated on the VM at first boot into
# /opt/cct/.env, so they appear neither in Terraform state nor in the instance's user data.
# Files: a volume on the VM's disk, or with storage_backend = "s3" a private bucket (storage.tf).

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"] # Canonical
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]
  }
  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

resource "aws_security_group" "cct" {
  name_prefix = "${var.name}-"
  description = "Cloud Conversion Tool single VM"

  ingress {
    description = "API and web page (nginx)"
    from_port   = 8000
    to_port     = 8000
    protocol    = "tcp"
    cidr_blocks = [var.allowed_cidr]
  }

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  egress {
    description = "Packages, images, git"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = var.allow_public_admin || !contains(["0.0.0.0/0", "::/0"], var.admin_cidr)
      error_message = "admin_cidr opens SSH to the whole internet; narrow it (e.g. 203.0.113.7/32) or set allow_public_admin = true."
    }
  }

  tags = {
    Name = var.name
  }
}

# Allocated before the instance so that its address can go into CCT_PUBLIC_URL (links in the mails).
resource "aws_eip" "cct" {
  domain = "vpc"
  tags = {
    Name = var.name
  }
}

resource "aws_instance" "cct" {
  ami                    = data.aws_ami.ubuntu.id
  instance_type          = var.instance_type
  key_name               = var.key_name
  vpc_security_group_ids = [aws_security_group.cct.id]

  iam_instance_profile = local.s3 ? aws_iam_instance_profile.vm[0].name : null

  user_data = templatefile("${path.module}/user-data.sh.tftpl", {
    repo_url   = var.repo_url
    repo_ref   = var.repo_ref
    workers    = var.workers
    public_url = "http://${aws_eip.cct.public_ip}:8000"
    # storage_backend = "s3": the bucket's name and region, no key (the instance profile)
    s3_bucket = local.s3 ? aws_s3_bucket.files[0].bucket : ""
    s3_region = var.region
    # fair use
    user_active_tasks     = var.user_active_tasks
    user_storage_quota    = var.user_storage_quota
    user_uploads_per_hour = var.user_uploads_per_hour
    user_streams          = var.user_streams
    user_running_tasks    = var.user_running_tasks
  })
  user_data_replace_on_change = true

  root_block_device {
    volume_size = var.disk_size_gb
    volume_type = "gp3"
    encrypted   = true
  }

  metadata_options {
    http_tokens = "required"
    # The containers reach the instance profile's credentials through Docker's bridge: one hop more.
    http_put_response_hop_limit = 2
  }

  tags = {
    Name = var.name
  }
}

resource "aws_eip_association" "cct" {
  instance_id   = aws_instance.cct.id
  allocation_id = aws_eip.cct.id
}
