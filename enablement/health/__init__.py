"""The worker heartbeat and /healthz: is the platform up, and is a worker running its tasks?"""
