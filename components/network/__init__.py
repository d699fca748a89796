"""The VPC, its subnets across zones, flow logs, the VPC endpoints and the security groups."""
