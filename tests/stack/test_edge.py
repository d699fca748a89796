"""stack/edge.py: the web firewall and the mail the stack's settings choose."""

from stack.edge import web_firewall_args


def test_the_web_firewall_rate_limits_the_paths_where_a_request_costs_a_password_hash():
    args = web_firewall_args("arn:alb")
    assert args.load_balancer_arn == "arn:alb"
    assert set(args.rate_limited_paths) == {
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_change/",
        "/accounts/password_reset/",
    }
