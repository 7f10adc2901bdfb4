"""Where uploaded files (gift files) are kept: the local disk, or an S3-compatible bucket.

With more than one web host (or a worker on another machine), files must live where every host
reads them: a bucket on AWS S3, MinIO, Ceph, Cloudflare R2, Scaleway, OVH... The application
reaches them only through Django's storage API, so nothing else changes. Files stay private in
the bucket: no public ACL, no custom domain, and people download them only through
`letters:gift_file`, which checks who may see the letter and streams the file itself.
"""

from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3 = "storages.backends.s3.S3Storage"


def file_storage(env) -> dict:
    """The `STORAGES["default"]` entry the environment asks for.

    `GIFT_STORAGE` is `local` or `s3`; unset, it is `s3` when `AWS_STORAGE_BUCKET_NAME` is set.
    """
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    kind = env("GIFT_STORAGE", default="s3" if bucket else "local")
    if kind == "local":
        return LOCAL
    if kind != "s3":
        raise ImproperlyConfigured(f"GIFT_STORAGE is {kind!r}: use 'local' or 's3'.")
    if not bucket:
        raise ImproperlyConfigured("GIFT_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty: AWS itself. Otherwise the S3-compatible service's address.
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            # Empty: boto3's own chain (AWS_ACCESS_KEY_ID..., an instance or task role).
            "access_key": env("AWS_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_S3_SECRET_ACCESS_KEY", default="") or None,
            # A prefix inside the bucket, to share one bucket between deployments.
            "location": env("AWS_LOCATION", default=""),
            # "path" for most S3-compatible servers (MinIO); empty lets boto3 choose.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
            # Private objects, never a public address: downloads go through the app.
            "default_acl": "private",
            "custom_domain": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Names are random already (letters.models.gift_upload_path); never write over one.
            "file_overwrite": False,
            # A download is spooled to disk beyond this, not held in the web worker's memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
