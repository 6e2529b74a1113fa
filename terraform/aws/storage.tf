# storage_backend = "s3": the files in a private S3 bucket instead of a volume on the VM's disk. The
# app and the workers reach it with the VM's instance profile (the SDK's default credentials chain:
# no key in the user data, the .env or the state), which may only read and write this bucket's
# objects. Versioning stays off (the service replaces and deletes its own objects; old versions would
# only cost money) and no lifecycle rule expires anything (CCT_RETENTION deletes old tasks); the one
# rule aborts multipart uploads a crash left unfinished.

locals {
  s3 = var.storage_backend == "s3"
}

resource "aws_s3_bucket" "files" {
  count         = local.s3 ? 1 : 0
  bucket_prefix = "${var.name}-files-"
  # Uploads and results live here: destroying a bucket that still holds them fails (empty it first).
  force_destroy = false

  tags = {
    Name = "${var.name}-files"
  }
}

resource "aws_s3_bucket_public_access_block" "files" {
  count                   = local.s3 ? 1 : 0
  bucket                  = aws_s3_bucket.files[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "files" {
  count  = local.s3 ? 1 : 0
  bucket = aws_s3_bucket.files[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "files" {
  count  = local.s3 ? 1 : 0
  bucket = aws_s3_bucket.files[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "files" {
  count  = local.s3 ? 1 : 0
  bucket = aws_s3_bucket.files[0].id
  rule {
    id     = "abort-abandoned-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

# Plain HTTP to the bucket is refused, whoever asks.
resource "aws_s3_bucket_policy" "files" {
  count  = local.s3 ? 1 : 0
  bucket = aws_s3_bucket.files[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TlsOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.files[0].arn, "${aws_s3_bucket.files[0].arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.files]
}

resource "aws_iam_role" "vm" {
  count       = local.s3 ? 1 : 0
  name_prefix = "${var.name}-vm-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "files" {
  count = local.s3 ? 1 : 0
  name  = "files"
  role  = aws_iam_role.vm[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Bucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetBucketLocation"]
        Resource = aws_s3_bucket.files[0].arn
      },
      {
        Sid      = "Objects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = "${aws_s3_bucket.files[0].arn}/*"
      },
    ]
  })
}

resource "aws_iam_instance_profile" "vm" {
  count       = local.s3 ? 1 : 0
  name_prefix = "${var.name}-vm-"
  role        = aws_iam_role.vm[0].name
}
