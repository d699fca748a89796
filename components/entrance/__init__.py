"""The way in from the internet: the load balancer, HTTPS, the web firewall and the access-log
bucket."""
